import type { GstdApi } from '../api/gstdApi';
import { getNetworkMap } from './mapApi';
import { cellsFromMap, changedCellsOf, mergeCells, type NetworkCell, type NetworkCells } from './networkCells';
import { useLiveState, type LiveState } from './useLiveState';

type NetworkUpdate = { type: 'map'; cells: NetworkCell[] } | { type: 'changed'; cells: NetworkCell[] };

const noCells: NetworkCells = new Map();

/** The cells of online workers: the map over HTTP, then `network.updated` changes from the 'network' topic. */
export function useNetworkCells(api: GstdApi): LiveState<NetworkCells, NetworkUpdate> {
  return useLiveState<NetworkCells, NetworkUpdate>(
    {
      topic: 'network',
      initial: noCells,
      load: async (signal) => ({ type: 'map', cells: (await getNetworkMap(api, signal)).cells }),
      fromEvent: (event) => (event.kind === 'network.updated' ? { type: 'changed', cells: changedCellsOf(event) } : null),
      reduce: (cells, updates) =>
        updates.reduce(
          (current, update) => (update.type === 'map' ? cellsFromMap(update.cells) : mergeCells(current, update.cells)),
          cells,
        ),
    },
    [api],
  );
}
