// The app's frame: the start screen, or the workspace of the open project.
import type { ProjectInfo } from "./ipc";
import { StartScreen } from "./panels/StartScreen";
import { useEditor } from "./store";
import Workspace from "./Workspace";

export function App() {
  const info = useEditor((s) => s.info);
  const setInfo = useEditor((s) => s.setInfo);
  if (!info) return <StartScreen onOpen={(i: ProjectInfo) => setInfo(i)} />;
  return <Workspace />;
}
