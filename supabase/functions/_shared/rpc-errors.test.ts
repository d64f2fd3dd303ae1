/**
 * How a failed REST call becomes a function's answer, for the answers PostgREST 12 gives today (a money function's
 * P0002/55000 as 500) and once the SQL functions choose their status (`raise sqlstate 'PT404'` → 404 PT404).
 */
import { describe, expect, it } from "vitest";
import { recordFailure, RestCallError, rpcErrorStatus } from "./rpc-errors.ts";

const rest = (status: number, code: string) => new RestCallError(status, code, `${code} from the database`);

/** A database failure is never a 4xx: the caller would take it for a refusal of its request. */
const DATABASE_FAILURE = "a database failure is never a 4xx: ";

describe("rpcErrorStatus", () => {
  it.each([
    ["unknown id, SQLSTATE in a 500 (PostgREST 12 today)", 404, rest(500, "P0002")],
    ["unknown id, the function's own 404", 404, rest(404, "PT404")],
    ["wrong state, SQLSTATE in a 500", 409, rest(500, "55000")],
    ["wrong state, the function's own 409", 409, rest(409, "PT409")],
    ["a refused role as an authenticated caller", 403, rest(403, "42501")],
    ["a refused role, the function's own 403", 403, rest(403, "PT403")],
    ["a bad argument", 400, rest(400, "22023")],
    ["a bad argument, the function's own 422", 422, rest(422, "PT422")],
    ["a key reused differently", 409, rest(409, "23505")],
    ["an expired token", 401, rest(401, "PGRST301")],
    ["a JWT error however it is answered", 401, rest(500, "PGRST301")],
    [`${DATABASE_FAILURE}PostgREST cannot reach the database`, 502, rest(503, "PGRST000")],
    [`${DATABASE_FAILURE}the connection pool timed out`, 502, rest(504, "PGRST003")],
    [`${DATABASE_FAILURE}a server error without a refusal's SQLSTATE`, 502, rest(500, "XX000")],
    [`${DATABASE_FAILURE}a server error without a body`, 502, rest(500, "500")],
  ])("%s → %i", (_what, status, err) => {
    expect(rpcErrorStatus(err)).toBe(status);
  });
});

describe("recordFailure (calls made with the service role)", () => {
  it("a refusal of the values is 409 record_refused, whether PostgREST says 500 + SQLSTATE or the function's own 4xx", () => {
    for (const err of [rest(500, "55000"), rest(409, "PT409"), rest(400, "22023"), rest(404, "PT404"), rest(500, "P0002")]) {
      expect(recordFailure(err), err.code).toEqual({ status: 409, code: "record_refused", detail: `${err.code}: ${err.code} from the database` });
    }
  });

  it("the database failing, or this function's own key refused (a deployment error), is a 502 worth retrying", () => {
    for (const err of [rest(503, "PGRST000"), rest(500, "XX000"), rest(401, "PGRST301"), rest(403, "42501")]) {
      expect(recordFailure(err), err.code).toMatchObject({ status: 502, code: "record_failed" });
    }
    expect(recordFailure(new TypeError("fetch failed"))).toEqual({ status: 502, code: "database_unavailable", detail: "the database did not answer" });
  });
});
