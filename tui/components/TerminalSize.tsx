// The terminal's size for layout, following resizes. Ink's own stdout (or the test library's) is
// asked; a stream without a size counts as 80×24.

import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

function sizeOf(stream: NodeJS.WriteStream | undefined): TerminalSize {
  const columns = stream?.columns;
  const rows = stream?.rows;
  return { columns: columns && columns > 0 ? columns : 80, rows: rows && rows > 0 ? rows : 24 };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
