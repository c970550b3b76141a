// The field page's hook onto the outbox: the signed-in user's queued items, the network state, the service worker,
// and the server's answers written into the day's visits.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { authApi } from '../../../api/endpoints.js';
import { visitKeys, type Visit } from '../../../api/visits.js';
import { registerFieldWorker } from './register.js';
import { fieldSync, type FieldSync } from './sync.js';
import type { QueuedRequest } from './outbox.js';

export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function useFieldOutbox(userId: number): { sync: FieldSync; items: readonly QueuedRequest[] } {
  const queryClient = useQueryClient();
  const sync = fieldSync(userId);
  const items = useSyncExternalStore(sync.subscribe, sync.snapshot);

  useEffect(() => {
    registerFieldWorker(() => {
      // Now passing through the worker: read the session and the day once more so both are kept for offline use.
      void authApi.me().catch(() => undefined);
      void queryClient.invalidateQueries({ queryKey: visitKeys.all });
    });
  }, [queryClient]);

  useEffect(() => {
    // The server's answer replaces the local state: a step answers the whole visit.
    sync.onAnswer = (item, data) => {
      if (item.meta.kind !== 'step' || !data || typeof data !== 'object' || !('id' in data)) return;
      const visit = data as Visit;
      queryClient.setQueriesData<{ items: Visit[] }>({ queryKey: ['visits', 'mine'] }, (old) => (old ? { items: old.items.map((v) => (v.id === visit.id ? visit : v)) } : old));
    };
    sync.onRoundEnd = (sentAny) => {
      if (sentAny) void queryClient.invalidateQueries({ queryKey: visitKeys.all });
    };
    sync.kick();
  }, [sync, queryClient]);

  return { sync, items };
}
