// The permanent log above the live area (Ink's <Static>): every entry of every run of this
// session, in order. It must stay mounted for the app's whole life: Ink 6.8 keeps a pointer to
// the Static node after it unmounts and then measures a freed layout node (a hang, then out of
// memory), so the App renders it once at its root, whatever screen is up.

import { Static } from 'ink';
import type React from 'react';
import { useSyncExternalStore } from 'react';
import type { LogEntry, RunSnapshot, RunStore } from '../../store.ts';
import { LogLine } from './LogLine.tsx';

const NOTHING = (): (() => void) => () => {};
const EMPTY: RunSnapshot = { state: { trackers: {}, order: [], warnings: 0, interrupted: false }, log: [], cancelling: false, version: 0 };

export function RunLog(props: { readonly stores: readonly RunStore[]; readonly color: boolean }): React.ReactElement {
  const last = props.stores[props.stores.length - 1];
  const snapshot = useSyncExternalStore(last ? last.subscribe : NOTHING, last ? last.getSnapshot : () => EMPTY);
  // Earlier runs are over, so their logs no longer grow: the list only ever gets longer.
  const items: { readonly key: string; readonly entry: LogEntry }[] = props.stores.flatMap((store, i) =>
    (store === last ? snapshot.log : store.getSnapshot().log).map((entry) => ({ key: `${i}-${entry.id}`, entry })),
  );
  return <Static items={items}>{(item) => <LogLine key={item.key} entry={item.entry} color={props.color} />}</Static>;
}
