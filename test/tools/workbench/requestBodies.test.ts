/**
 * The workbench server reads request bodies up to MAX_REQUEST_BODY_BYTES and answers 413 above it, whether the size is
 * declared (Content-Length) or only seen as the bytes arrive (chunked); bodies it cannot parse get 400.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { answerError, BadRequestError, MAX_REQUEST_BODY_BYTES, parseGraphSession, readBody } from "../../../tools/workbench/server";

let server: http.Server;
let port: number;
const logged: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const work = async () => {
      if (request.url === "/bad") throw new BadRequestError("graph session: the body is not JSON");
      if (request.url === "/boom") throw new Error("boom");
      const body = await readBody(request);
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end(String(body.length));
    };
    work().catch((e: unknown) => answerError(request, response, e, (line) => logged.push(line)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends `size` bytes in 64 KiB chunks, with or without a Content-Length, and gives back status and body. */
function post(path: string, size: number, declare: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { "Content-Type": "application/json" };
    if (declare) headers["Content-Length"] = size;
    const request = http.request({ host: "127.0.0.1", port, path, method: "POST", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, "a");
    let left = size;
    const write = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(left, chunk.length));
        left -= part.length;
        if (!request.write(part)) return void request.once("drain", write);
      }
      request.end();
    };
    write();
  });
}

test("the bound is 1 MiB", () => {
  expect(MAX_REQUEST_BODY_BYTES).toBe(1024 * 1024);
});

test("a body of exactly the bound is read", async () => {
  expect(await post("/echo", MAX_REQUEST_BODY_BYTES, true)).toEqual({ status: 200, body: String(MAX_REQUEST_BODY_BYTES) });
});

test("a declared body over the bound is answered 413 without being read", async () => {
  expect(await post("/echo", 2 * MAX_REQUEST_BODY_BYTES, true)).toEqual({ status: 413, body: `workbench: request body larger than ${MAX_REQUEST_BODY_BYTES} bytes` });
});

test("a chunked body that grows over the bound is answered 413 as soon as it does", async () => {
  expect(await post("/echo", MAX_REQUEST_BODY_BYTES + 1, false)).toEqual({ status: 413, body: `workbench: request body larger than ${MAX_REQUEST_BODY_BYTES} bytes` });
});

test("a body the workbench cannot parse is 400 with the reason; other failures are 500 and logged", async () => {
  expect(await post("/bad", 10, true)).toEqual({ status: 400, body: "workbench: graph session: the body is not JSON" });
  expect(logged).toEqual([]);
  expect(await post("/boom", 10, true)).toEqual({ status: 500, body: "workbench: boom" });
  expect(logged[0]).toMatch(/^workbench: POST \/boom: Error: boom\n\s+at /);
});

test("a Graph session body that is not JSON, or not the session's shape, is a bad request", () => {
  expect(() => parseGraphSession("{users")).toThrow(BadRequestError);
  expect(() => parseGraphSession("{users")).toThrow(/^graph session: the body is not JSON \(/);
  expect(() => parseGraphSession('{"users": {}}')).toThrow('graph session: the body must be {"users": [...], "signedInUserId": "..."}');
  expect(parseGraphSession('{"users": [], "signedInUserId": "u"}')).toEqual({ users: [], signedInUserId: "u" });
});
