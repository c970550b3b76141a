import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { qk } from '../../api/queries.js';
import type { Ticket } from '../../api/types.js';

/** After a change to a ticket: store the new version and refresh everything derived from it. */
export function useTicketUpdated(number: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (ticket?: Ticket) => {
      if (ticket) {
        // The transition/patch answers may omit allowedTransitions; keep the detail query authoritative.
        queryClient.setQueryData<Ticket>(qk.ticket(number), (old) => ({ ...old, ...ticket }));
      }
      void queryClient.invalidateQueries({ queryKey: qk.ticket(number) });
      void queryClient.invalidateQueries({ queryKey: ['tickets'] });
      void queryClient.invalidateQueries({ queryKey: ['lookup'] });
    },
    [queryClient, number],
  );
}
