import { describe, expect, it } from "vitest";
import { configureBody, epochToUtcInput, placeErrors, utcInputToEpoch, type FormValues } from "../src/form.js";

const live: FormValues = {
  viewType: 0, channelMin: "10", channelMax: "14", frequencyMin: "0", frequencyMax: "500", nfft: "1024",
  height: "1000", duration: "10", historic: false, startTime: "", endTime: "",
};

describe("configure form", () => {
  it("builds the contract's body for a live spectral job", () => {
    expect(configureBody(live)).toEqual({
      view_type: 0, displayInfo: { height: 1000 }, channels: { min: 10, max: 14 },
      nfftSelection: 1024, displayTimeAxisDuration: 10, frequencyRange: { min: 0, max: 500 },
    });
  });

  it("leaves out what WATERFALL must not have", () => {
    expect(configureBody({ ...live, viewType: 2 })).toEqual({ view_type: 2, displayInfo: { height: 1000 }, channels: { min: 10, max: 14 } });
  });

  it("leaves blank fields out so the gateway names them", () => {
    expect(configureBody({ ...live, height: " ", frequencyMin: "", frequencyMax: "" })).toEqual({
      view_type: 0, displayInfo: {}, channels: { min: 10, max: 14 }, nfftSelection: 1024, displayTimeAxisDuration: 10,
    });
  });

  it("sends a historic window", () => {
    const body = configureBody({ ...live, historic: true, startTime: "1764000000", endTime: "1764000600" });
    expect(body.start_time).toBe(1764000000);
    expect(body.end_time).toBe(1764000600);
  });

  it("puts each 422 message beside its field, or its parent, or the form", () => {
    const slots = new Set(["displayInfo.height", "channels", "nfftSelection"]);
    const placed = placeErrors({
      "displayInfo.height": ["displayInfo.height: 0 is out of range"],
      "channels.max": ["channels.max: above the fiber"],
      body: ["body: not JSON"],
    }, slots);
    expect(placed.get("displayInfo.height")).toEqual(["displayInfo.height: 0 is out of range"]);
    expect(placed.get("channels")).toEqual(["channels.max: above the fiber"]);
    expect(placed.get("")).toEqual(["body: not JSON"]);
  });

  it("reads and writes UTC date-times as epoch seconds", () => {
    expect(utcInputToEpoch("2025-10-09T10:00:00")).toBe(Date.UTC(2025, 9, 9, 10) / 1000);
    expect(utcInputToEpoch("2025-10-09T10:00")).toBe(Date.UTC(2025, 9, 9, 10) / 1000);
    expect(utcInputToEpoch("")).toBeUndefined();
    expect(epochToUtcInput(Date.UTC(2025, 9, 9, 10) / 1000)).toBe("2025-10-09T10:00:00");
  });
});
