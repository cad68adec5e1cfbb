// The list of keyboard shortcuts, from the one table the handler uses.
import { Modal } from "../Modal";
import { SHORTCUTS } from "./shortcuts";

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog">
      <h2>Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {Object.entries(SHORTCUTS).map(([id, s]) => (
            <tr key={id}>
              <td>{s.label}</td>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && " or "}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="start-actions">
        <button className="primary" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
