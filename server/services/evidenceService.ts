import { randomUUID } from 'node:crypto';
import {
  ACCEPTED_TYPES_TEXT,
  EvidenceContentCheck,
  type EvidenceKind,
  evidenceType,
  safeEvidenceFilename,
} from '../../checks/evidenceTypes.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Evidence } from '../../data/schemas/evidenceSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { EvidenceFolder, type ReceivedFile } from '../../data/store/evidenceFiles.js';
import type { Store } from '../../data/store/store.js';
import type { UploadSink } from '../forms/uploadForm.js';
import { notFound } from '../errors.js';
import type { ReviewService } from './reviewService.js';
import type { SubjectRegistry } from './subjectRegistry.js';
import { type FieldErrors, InputError } from '../errors.js';

/** Most files one review holds. */
export const EVIDENCE_MAX_FILES = 20;
export const DESCRIPTION_MAX = 200;

/** Ids of the upload form's fields, for the error summary's links. */
export const FILE_INPUT = 'evidence-file';
export const DESCRIPTION_INPUT = 'evidence-description';

/** A file received for evidence: the synced temporary file, and what its content turned out to be. */
export interface ReceivedEvidence {
  file: ReceivedFile;
  kind: EvidenceKind | null;
}

export interface EvidenceInput {
  description: string;
  /** The name the browser gave; null when no file was chosen. */
  filename: string | null;
  received: ReceivedEvidence | null;
  tooLarge: boolean;
}

/** "5MB", "1.5MB", "500KB": the limit as GOV.UK messages write it. */
export function sizeText(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(1))}MB`;
  return `${Math.max(1, Math.round(bytes / 1024))}KB`;
}

const fileError = (text: string): FieldErrors => ({ file: { text, href: `#${FILE_INPUT}` } });
/** An error about the evidence as a whole, where the page has no upload form to link to. */
const sectionError = (text: string): FieldErrors => ({ file: { text, href: '#evidence' } });

/**
 * Evidence files on reviews: uploaded while the review is a draft (limited in size, kind and number),
 * listed and downloaded by whoever may see the review's subject, removed from a draft. The file is on
 * disk, synced, before its record is saved; removing deletes the record, then the file.
 */
export function createEvidenceService(
  store: Store,
  opts: {
    maxBytes: number;
    /** A review no longer live, moved with its booking to the archive files (read-only from then on). */
    archivedReview?: (reviewId: string) => Review | undefined;
  },
  reviews: ReviewService,
  subjects: SubjectRegistry,
) {
  const subjectKind = subjects.kind;
  const folder = EvidenceFolder.forDatabase(store.path);
  const swept = store.writable
    ? folder.sweep(new Set(store.list('evidence').map((e) => e.id)))
    : { temporary: 0, unrecorded: 0 };

  const ofReview = (reviewId: string): Evidence[] =>
    store
      .list('evidence')
      .filter((e) => e.reviewId === reviewId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  const SUBMITTED =
    'This review was submitted, so its evidence cannot be changed; start a new review to add more';
  const fullText = `This review already has ${EVIDENCE_MAX_FILES} files, the most it can hold. Remove one before adding another`;

  /** The draft `user` may change the evidence of (404 / 403 as for the review itself). */
  function draftFor(user: User, reviewId: string): Review {
    const { review } = reviews.reviewFor(user, reviewId, 'edit');
    if (review.status !== 'draft') throw new InputError(sectionError(SUBMITTED));
    return review;
  }

  /** Inside the transaction that saves: still a draft, still room (another upload may have just landed). */
  function stillOpen(reviewId: string, adding: boolean): void {
    if (store.get('reviews', reviewId)?.status !== 'draft') throw new InputError(sectionError(SUBMITTED));
    if (adding && ofReview(reviewId).length >= EVIDENCE_MAX_FILES)
      throw new InputError(sectionError(fullText));
  }

  function problems(input: EvidenceInput, review: Review): FieldErrors {
    const errors: FieldErrors = {};
    const description = input.description.trim();
    if (!description) {
      errors.description = { text: 'Enter a short description of the file', href: `#${DESCRIPTION_INPUT}` };
    } else if (description.length > DESCRIPTION_MAX) {
      errors.description = {
        text: `The description must be ${DESCRIPTION_MAX} characters or fewer`,
        href: `#${DESCRIPTION_INPUT}`,
      };
    }
    const file = (text: string) => Object.assign(errors, fileError(text));
    if (ofReview(review.id).length >= EVIDENCE_MAX_FILES) Object.assign(errors, sectionError(fullText));
    else if (input.tooLarge || (input.received && input.received.file.size > opts.maxBytes))
      file(`The selected file must be smaller than ${sizeText(opts.maxBytes)}`);
    else if (!input.received || !input.filename) file(`Select a ${ACCEPTED_TYPES_TEXT} file to upload`);
    else if (input.received.file.size === 0) file('The selected file is empty');
    else {
      const type = evidenceType(safeEvidenceFilename(input.filename), input.received.kind);
      if ('problem' in type) file(type.problem);
    }
    return errors;
  }

  /** One file of a draft this user may change, as removing it would find it (404/403 as for the review). */
  function removable(
    user: User,
    reviewId: string,
    evidenceId: string,
  ): { review: Review; evidence: Evidence } {
    const review = draftFor(user, reviewId);
    const evidence = store.get('evidence', evidenceId);
    if (!evidence || evidence.reviewId !== review.id) throw notFound();
    return { review, evidence };
  }

  return {
    maxBytes: opts.maxBytes,
    maxFiles: EVIDENCE_MAX_FILES,
    /** What the start-up sweep removed (left by a crash mid-upload). */
    swept,
    folder,
    /** The evidence of a review the caller has already been allowed to see. */
    ofReview,

    /** Before reading an upload: 404/403 as for the review, or why no file can be added (InputError). */
    checkRoom(user: User, reviewId: string): Review {
      const review = draftFor(user, reviewId);
      if (ofReview(review.id).length >= EVIDENCE_MAX_FILES) throw new InputError(sectionError(fullText));
      return review;
    },

    /** Where one upload's bytes go: a temporary file in the evidence folder, its kind told as it streams. */
    async receive(): Promise<UploadSink<ReceivedEvidence>> {
      const upload = await folder.startUpload();
      const check = new EvidenceContentCheck();
      return {
        async write(chunk) {
          check.push(chunk);
          await upload.write(chunk);
        },
        finish: async () => ({ file: await upload.finish(), kind: check.finish() }),
        abort: () => upload.abort(),
      };
    },

    /** Keeps an uploaded file as evidence of a draft review, or refuses it (InputError) keeping nothing. */
    async add(user: User, reviewId: string, input: EvidenceInput): Promise<Evidence> {
      const received = input.received;
      try {
        const review = draftFor(user, reviewId);
        const errors = problems(input, review);
        if (Object.keys(errors).length > 0) throw new InputError(errors);
        const filename = safeEvidenceFilename(input.filename!);
        const type = evidenceType(filename, received!.kind);
        if (!('mediaType' in type)) throw new InputError(fileError(type.problem));
        const id = randomUUID();
        await folder.keep(received!.file, id);
        try {
          return await store.transact(user.email, (tx) => {
            stillOpen(review.id, true);
            return tx.insert('evidence', {
              id,
              reviewId: review.id,
              filename,
              mediaType: type.mediaType,
              size: received!.file.size,
              sha256: received!.file.sha256,
              description: input.description.trim(),
              uploadedBy: user.email,
            });
          });
        } catch (err) {
          folder.remove(id);
          throw err;
        }
      } catch (err) {
        if (received) await folder.discard(received.file);
        throw err;
      }
    },

    removable,

    /** Removes one file from a draft: its record, then the file. */
    async remove(user: User, reviewId: string, evidenceId: string): Promise<Evidence> {
      const { review, evidence } = removable(user, reviewId, evidenceId);
      await store.transact(user.email, (tx) => {
        stillOpen(review.id, false);
        tx.remove('evidence', evidence.id);
      });
      folder.remove(evidence.id);
      return evidence;
    },

    /**
     * The record and file path of one evidence file, for someone who may see the review's subject (a
     * review archived with its booking included).
     */
    download(user: User, reviewId: string, evidenceId: string): { evidence: Evidence; path: string } {
      const archived = store.get('reviews', reviewId) ? undefined : opts.archivedReview?.(reviewId);
      const review = archived ?? reviews.reviewFor(user, reviewId, 'view').review;
      if (archived && !subjectKind(archived.subjectType)?.canView(user, archived.subjectId)) throw notFound();
      const evidence = store.get('evidence', evidenceId);
      if (!evidence || evidence.reviewId !== review.id) throw notFound();
      return { evidence, path: folder.pathOf(evidence.id) };
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
