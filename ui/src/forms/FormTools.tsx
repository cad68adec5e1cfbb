// The form designer's tools: design the form, or fill it in as a person would.
export function FormTools({ previewing, setPreviewing }: { previewing: boolean; setPreviewing: (p: boolean) => void }) {
  return (
    <div className="palette-group segmented" role="group" aria-label="Form view">
      <button aria-pressed={!previewing} onClick={() => setPreviewing(false)} data-testid="form-design">Design</button>
      <button aria-pressed={previewing} onClick={() => setPreviewing(true)} data-testid="form-preview-button">Preview</button>
    </div>
  );
}
