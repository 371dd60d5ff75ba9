import { fromHttpResponse, normaliseErrorCode, parseRetryAfter, toDataverseError } from "../../../../components/common/src/dataverse";

const body = (code: string, message = "m") => JSON.stringify({ error: { code, message } });

describe("Dataverse error mapping", () => {
  it.each([
    [412, "0x80060882", "concurrency"],
    [429, "0x80072322", "throttled"],
    [404, "0x80040217", "notFound"],
    [403, "0x80040220", "forbidden"],
    [400, "0x8004E023", "aggregateLimit"],
    [400, "0x80044331", "invalid"],
    [500, "0x80040216", "server"],
  ])("maps HTTP %i with code %s to %s", (status, code, kind) => {
    expect(fromHttpResponse(status, body(code)).kind).toBe(kind);
  });

  it("falls back to the status when the body is not a Web API error", () => {
    expect(fromHttpResponse(503, "<html>Service Unavailable</html>")).toMatchObject({ kind: "server", retryable: true, message: "Dataverse answered HTTP 503" });
  });

  it("keeps the server's message and lower-cases the code", () => {
    expect(fromHttpResponse(400, body("0x8004E023", "AggregateQueryRecordLimit exceeded"))).toMatchObject({ code: "0x8004e023", message: "AggregateQueryRecordLimit exceeded" });
  });

  it("reads Retry-After in seconds and as an HTTP date", () => {
    expect(parseRetryAfter("12")).toBe(12000);
    expect(parseRetryAfter("Wed, 21 Oct 2026 07:28:10 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(10000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("maps a PCF webAPI rejection by its numeric error code", () => {
    expect(toDataverseError({ errorCode: 0x80060882, message: "version mismatch" })).toMatchObject({ kind: "concurrency", code: "0x80060882" });
  });

  it("normalises negative 32-bit error codes", () => {
    expect(normaliseErrorCode(-2147088254)).toBe("0x80060882");
  });

  it("maps a fetch TypeError to a retryable network error", () => {
    expect(toDataverseError(new TypeError("Failed to fetch"))).toMatchObject({ kind: "network", retryable: true });
  });

  it("does not call a concurrency conflict retryable", () => {
    expect(fromHttpResponse(412, body("0x80060882")).retryable).toBe(false);
  });
});
