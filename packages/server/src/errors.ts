/**
 * Errors the server maps to HTTP answers. Anything else thrown by a resolver is a bug and becomes a 500.
 */

/** The client sent something we cannot interpret (bad filter, order, cursor, input): HTTP 400 BAD_USER_INPUT. */
export class UserInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  override readonly name = 'UserInputError';
}

/** The viewer may not write here: HTTP 403 FORBIDDEN. */
export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN';
  override readonly name = 'ForbiddenError';
}

/** What the request names does not exist (or is hidden from the viewer): HTTP 404 NOT_FOUND. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  override readonly name = 'NotFoundError';
}

/** What the request creates exists already (an automation of that name): HTTP 409 CONFLICT. */
export class ConflictError extends Error {
  readonly code = 'CONFLICT';
  override readonly name = 'ConflictError';
}
