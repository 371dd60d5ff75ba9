/**
 * Failures the in-memory Dataverse reports, with the HTTP status and the error code real Dataverse uses, so the
 * client's error mapping is exercised with the same values it meets in production.
 */
export class DataverseServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "DataverseServiceError";
  }

  /** The body the Web API sends for a failed request. */
  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/** Error codes as real Dataverse returns them (hex strings in `error.code`). */
export const ERROR_CODES = {
  objectDoesNotExist: "0x80040217",
  concurrencyVersionMismatch: "0x80060882",
  privilegeDenied: "0x80040220",
  invalidArgument: "0x80040203",
  querySyntax: "0x80060888",
  valueOutOfRange: "0x8004431a",
  maxLengthExceeded: "0x80044331",
  duplicateRecord: "0x80040237",
  aggregateQueryRecordLimit: "0x8004e023",
  throttledRequests: "0x80072322",
  unexpected: "0x80040216",
} as const;

export const notFound = (table: string, id: string): DataverseServiceError =>
  new DataverseServiceError(404, ERROR_CODES.objectDoesNotExist, `${table} With Id = ${id} Does Not Exist`);

export const badRequest = (message: string, code: string = ERROR_CODES.querySyntax): DataverseServiceError =>
  new DataverseServiceError(400, code, message);
