import { describe, expect, it } from "vitest";
import { authHeaders } from "../src/credentials.js";

describe("the headers a signed-in viewer sends", () => {
  it("sends an API key as X-Api-Key", () =>
    expect(authHeaders({ kind: "apikey", value: "k-1" })).toEqual({ "X-Api-Key": "k-1" }));

  it("sends a token as Authorization: Bearer", () =>
    expect(authHeaders({ kind: "bearer", value: "eyJ.a.b" })).toEqual({ Authorization: "Bearer eyJ.a.b" }));

  it("sends nothing when signed out", () => expect(authHeaders(null)).toEqual({}));
});
