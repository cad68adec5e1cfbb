// A modal dialog: labelled, `aria-modal`, focus moved in and kept in (Tab
// cycles inside), Escape closes, and focus goes back where it was.
import { useEffect, useRef, type ReactNode } from "react";

const FOCUSABLE = "input, button, select, textarea, [href], [tabindex]:not([tabindex='-1'])";

export function Modal({
  title,
  onClose,
  children,
  wide,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>("[autofocus], " + FOCUSABLE);
    first?.focus();
    return () => before?.focus?.();
  }, []);
  // Escape closes the dialog even when focus has left it (a button that went away).
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || (box.current && box.current.contains(document.activeElement))) return;
      e.stopPropagation();
      close.current();
    };
    window.addEventListener("keydown", onEscape);
    return () => window.removeEventListener("keydown", onEscape);
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== "Tab" || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute("disabled"));
    const [first, last] = [items[0], items[items.length - 1]];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? " wide" : ""}`} role="dialog" aria-modal="true" aria-label={title} ref={box} onKeyDown={onKey} data-testid={testId}>
        {children}
      </div>
    </div>
  );
}
