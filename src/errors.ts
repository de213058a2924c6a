/** One error type for the whole service; its category alone decides the HTTP status. */
export type ErrorCategory =
  | 'malformed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'too_large'
  | 'unsupported_media_type'
  | 'busy';

export interface FieldError {
  /** JSON pointer into the request body ('' for the body itself). */
  path: string;
  message: string;
}

export class PunchcardError extends Error {
  readonly category: ErrorCategory;
  readonly errors: FieldError[];
  /** For a 503: seconds the caller should wait (the Retry-After header); 1 if unset. */
  readonly retryAfter: number | undefined;

  constructor(category: ErrorCategory, message: string, errors: FieldError[] = [], retryAfter?: number) {
    super(message);
    this.name = 'PunchcardError';
    this.category = category;
    this.errors = errors;
    this.retryAfter = retryAfter;
  }
}

export const notFound = (what: string, id: string) =>
  new PunchcardError('not_found', `${what} '${id}' not found`);

/** A body field that names something the tenant does not have: 422 at that pointer. */
export const unknownReference = (path: string, what: string, id: string) =>
  new PunchcardError('invalid', `${what} '${id}' does not exist`, [
    { path, message: `no ${what} with id '${id}'` },
  ]);

export const invalid = (path: string, message: string) =>
  new PunchcardError('invalid', message, [{ path, message }]);

export const conflict = (message: string) => new PunchcardError('conflict', message);
