/** Collections of this area; each key becomes an array in the database file. */
export const schoolCollections = {};
