import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

vi.mock("../ipc", () => ({
  ipc: {
    onGitProgress: vi.fn(async () => () => {}),
    push: vi.fn(async () => {
      throw { code: "remote_rejected", message: "push to `origin`: rejected: the remote has commits you do not have; pull first" };
    }),
    pull: vi.fn(async () => ({ result: "conflicts", files: ["workflows/a/workflow.json"] })),
    setRemote: vi.fn(async () => null),
  },
  errorText: (e: { message: string }) => e.message,
}));

import { ipc } from "../ipc";
import { TeamBar, gitFailure, mergeText } from "./TeamBar";

afterEach(cleanup);
beforeEach(() => vi.clearAllMocks());

const branches = { current: "main", branches: [{ name: "main", current: true, commit: "abc" }], remotes: [{ name: "origin", url: "/srv/team.git" }] };

describe("TeamBar", () => {
  it("explains a rejected push and what to do", async () => {
    const onStatus = vi.fn();
    render(<TeamBar branches={branches} dirty={false} onChanged={vi.fn()} onStatus={onStatus} />);
    fireEvent.click(screen.getByTestId("push"));
    const alert = await screen.findByTestId("git-error");
    expect(alert.textContent).toContain("The remote has newer commits");
    expect(alert.textContent).toContain("Pull, then push again");
  });

  it("reports a pull that left conflicts", async () => {
    const onChanged = vi.fn();
    const onStatus = vi.fn();
    render(<TeamBar branches={branches} dirty={false} onChanged={onChanged} onStatus={onStatus} />);
    fireEvent.click(screen.getByTestId("pull"));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith({ result: "conflicts", files: ["workflows/a/workflow.json"] }));
    expect(onStatus).toHaveBeenCalledWith(expect.stringContaining("1 file(s) in conflict"));
  });

  it("refuses to pull over unsaved edits", () => {
    const onStatus = vi.fn();
    render(<TeamBar branches={branches} dirty={true} onChanged={vi.fn()} onStatus={onStatus} />);
    fireEvent.click(screen.getByTestId("pull"));
    expect(onStatus).toHaveBeenCalledWith(expect.stringContaining("Save your changes first"));
    expect(ipc.pull).not.toHaveBeenCalled();
  });

  it("asks for a remote the first time", async () => {
    render(<TeamBar branches={{ ...branches, remotes: [] }} dirty={false} onChanged={vi.fn()} onStatus={vi.fn()} />);
    fireEvent.click(screen.getByTestId("push"));
    fireEvent.change(await screen.findByTestId("remote-url"), { target: { value: "git@host:team/p.git" } });
    fireEvent.submit(screen.getByTestId("remote-url").closest("form")!);
    await waitFor(() => expect(ipc.setRemote).toHaveBeenCalledWith("origin", "git@host:team/p.git"));
  });

  it("names each failure kind", () => {
    expect(gitFailure({ code: "remote_auth", message: "x" }).title).toBe("Authentication failed");
    expect(gitFailure({ code: "remote_offline", message: "x" }).title).toBe("Cannot reach the remote");
    expect(mergeText("origin", { result: "fast_forward", files: [] })).toBe("Updated from origin");
  });
});
