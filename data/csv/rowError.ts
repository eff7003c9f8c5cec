/** One reason a row of an import was refused. Rows are numbered as a spreadsheet shows them (header = 1). */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface ParseResult<T> {
  rows: T[];
  errors: RowError[];
}
