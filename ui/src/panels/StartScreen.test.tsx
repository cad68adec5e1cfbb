import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

afterEach(cleanup);

vi.mock("../ipc", () => ({
  ipc: {
    recentProjects: vi.fn(async () => ["/home/ada/claims"]),
    openExample: vi.fn(async () => ({ root: "/ex", name: "Expense claims", workflows: [], forms: [], models: [], sources: [], problems: [] })),
    openProject: vi.fn(async () => {
      throw { code: "not_a_project", message: "no Atelier project (atelier.json) in /tmp or any parent directory" };
    }),
    createProject: vi.fn(),
    pickFolder: vi.fn(async () => "/home/ada/new-designs"),
  },
  errorText: (e: { message: string }) => e.message,
}));

import { StartScreen } from "./StartScreen";

describe("StartScreen", () => {
  it("lists recent projects and opens the example", async () => {
    const onOpen = vi.fn();
    render(<StartScreen onOpen={onOpen} />);
    expect(await screen.findByText("/home/ada/claims")).toBeTruthy();
    fireEvent.click(screen.getByTestId("open-example"));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ name: "Expense claims" })));
  });

  it("fills the folder from the system's folder dialog", async () => {
    render(<StartScreen onOpen={vi.fn()} />);
    fireEvent.click(screen.getAllByTestId("browse")[0]!);
    await waitFor(() => expect((screen.getAllByTestId("project-path")[0] as HTMLInputElement).value).toBe("/home/ada/new-designs"));
    expect((screen.getAllByTestId("create-project")[0] as HTMLButtonElement).disabled).toBe(false);
  });

  it("shows why a folder cannot be opened", async () => {
    render(<StartScreen onOpen={vi.fn()} />);
    const buttons = screen.getAllByTestId("open-project");
    expect((buttons[0] as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getAllByTestId("project-path")[0]!, { target: { value: "/tmp" } });
    fireEvent.click(buttons[0]!);
    expect((await screen.findByRole("alert")).textContent).toContain("no Atelier project");
  });
});
