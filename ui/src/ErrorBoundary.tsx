// A designer that fails to draw shows what went wrong in its place, and the
// rest of the app (explorer, toolbar, git, unsaved work elsewhere) stays up.
import { Component, type ReactNode } from "react";

type Props = { children: ReactNode; what: string };

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="center">
        <div className="canvas empty" role="alert" data-testid="view-failed">
          <div>
            <h2>The {this.props.what} cannot be shown</h2>
            <p className="muted">{this.state.error.message}</p>
            <button onClick={() => this.setState({ error: null })}>Try again</button>
          </div>
        </div>
      </main>
    );
  }
}
