import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("the event-stream parser", () => {
  it("reads the server's point and end events", () => {
    const parser = new SseParser();
    const events = parser.push('event: point\ndata: {"step":0}\n\nevent: end\ndata: {"status":"completed"}\n\n');
    expect(events).toEqual([
      { event: "point", data: '{"step":0}' },
      { event: "end", data: '{"status":"completed"}' },
    ]);
  });

  it("waits for an event cut across chunks", () => {
    const parser = new SseParser();
    expect(parser.push("event: point\ndata: {\"st")).toEqual([]);
    expect(parser.push('ep":5}\n')).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "point", data: '{"step":5}' }]);
  });

  it("skips keep-alive comments and handles CRLF", () => {
    const parser = new SseParser();
    expect(parser.push(": keep-alive\n\ndata: a\r\ndata: b\r\n\r\n")).toEqual([{ event: "message", data: "a\nb" }]);
  });
});
