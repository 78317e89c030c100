/** The open project's file was changed by another program: the question shown until the user reloads it or keeps this version. */
type Listener = () => void;

export class DiskChangeNotice {
  private file: string | null = null;
  private readonly listeners = new Set<Listener>();

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  current = (): string | null => this.file;

  show(file: string): void {
    this.file = file;
    this.emit();
  }

  clear(): void {
    this.file = null;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
