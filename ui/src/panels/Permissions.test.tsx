import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

const view = {
  hosts: [
    { host: "fx.example.com", asked: true, granted: false, sources: ["fx-rates"] },
    { host: "api.internal", asked: false, granted: true, sources: ["hr"] },
  ],
  secrets: [{ name: "FX_API_KEY", variable: "ATELIER_SECRET_FX_API_KEY", available: false, sources: ["fx-rates"] }],
  limits: [{ name: "script_timeout_ms", asked: 1e15, max: 5000, effective: 5000 }],
  grants_file: "/home/ada/.config/atelier/projects/abc.json",
};

vi.mock("../ipc", () => ({
  ipc: {
    permissions: vi.fn(async () => view),
    setGrants: vi.fn(async () => view),
  },
  errorText: (e: { message: string }) => e.message,
}));

import { ipc } from "../ipc";
import { PermissionsDialog, ungranted } from "./Permissions";

afterEach(cleanup);
beforeEach(() => vi.clearAllMocks());

describe("PermissionsDialog", () => {
  it("grants the hosts ticked and the variables typed, and nothing else", async () => {
    const onChanged = vi.fn();
    const onClose = vi.fn();
    render(<PermissionsDialog onClose={onClose} onChanged={onChanged} />);
    fireEvent.click(await screen.findByTestId("grant-host-fx.example.com"));
    fireEvent.click(screen.getByTestId("grant-host-api.internal")); // taken back
    fireEvent.change(screen.getByTestId("grant-secret-FX_API_KEY"), { target: { value: " MY_FX_KEY " } });
    fireEvent.click(screen.getByTestId("grant-save"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(ipc.setGrants).toHaveBeenCalledWith({ root: "", live_hosts: ["fx.example.com"], secrets: { FX_API_KEY: "MY_FX_KEY" } });
    expect(onChanged).toHaveBeenCalledWith(view);
  });

  it("shows limits the project asks above the machine's, grouped, and closes on Escape", async () => {
    const onClose = vi.fn();
    render(<PermissionsDialog onClose={onClose} onChanged={vi.fn()} />);
    const limits = await screen.findByTestId("grant-limits");
    expect(limits.textContent).toContain("1,000,000,000,000,000 ms");
    expect(limits.querySelector(".warn")?.textContent).toContain("1,000,000,000,000,000");
    fireEvent.keyDown(screen.getByTestId("permissions-dialog"), { key: "Escape" });
    expect(onClose).toHaveBeenCalled();
    expect(screen.getByRole("dialog").getAttribute("aria-modal")).toBe("true");
  });

  it("counts only asked hosts that are not granted", () => {
    expect(ungranted(view as never)).toBe(1);
    expect(ungranted(null)).toBe(0);
  });
});
