import { useCallback, useEffect, useRef, useState } from 'react';
import type { CloudRelayStatus, CloudStatus, LogEvent, NumberState } from '../../../../shared/contract';
import { errorMessage } from '../../client/client';
import { useApp, useEvent, useOnReconnect, useWorkspace } from '../../state/app-context';

/**
 * What Home shows of the workspace: its numbers (kept live from connection events), the latest alerts,
 * how many FAQs it has, and the official numbers' names, ratings and spend beside the AI's.
 */
export function useHomeData() {
  const { client } = useApp();
  const workspace = useWorkspace();
  const [numbers, setNumbers] = useState<NumberState[] | null>(null);
  const [alerts, setAlerts] = useState<LogEvent[]>([]);
  const [faqCount, setFaqCount] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cloud, setCloud] = useState<CloudStatus | null>(null);
  const [relay, setRelay] = useState<CloudRelayStatus | null>(null);
  const [aiMonthUsd, setAiMonthUsd] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, page, faqs] = await Promise.all([
        client.invoke('connection.list', { workspaceId: workspace.id }),
        client.invoke('log.query', { workspaceId: workspace.id, types: ['connection.alert'], limit: 5 }),
        client.invoke('faq.list', { workspaceId: workspace.id, includeDisabled: false }),
      ]);
      setNumbers(list);
      setAlerts(page.events);
      setFaqCount(faqs.length);
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    }
    // Official numbers' names, quality ratings and what their messages cost (beside the AI's spend).
    try {
      const [cloudStatus, ai, relayStatus] = await Promise.all([
        client.invoke('cloud.status', { workspaceId: workspace.id }),
        client.invoke('ai.status', { workspaceId: workspace.id }),
        client.invoke('cloud.relay', { workspaceId: workspace.id }),
      ]);
      setCloud(cloudStatus);
      setRelay(relayStatus);
      setAiMonthUsd(ai.spend.monthUsd);
    } catch {
      setCloud(null);
    }
  }, [client, workspace.id]);

  useEffect(() => {
    setNumbers(null);
    void load();
  }, [load]);
  useOnReconnect(() => void load());
  useHomeEvents(workspace.id, load, setNumbers, setRelay);

  return { numbers, alerts, faqCount, error, cloud, relay, aiMonthUsd, load };
}

/** The events that change what Home shows, each applied in place or by reading again. */
function useHomeEvents(
  workspaceId: string,
  load: () => Promise<void>,
  setNumbers: (update: (current: NumberState[] | null) => NumberState[] | null) => void,
  setRelay: (status: CloudRelayStatus) => void,
) {
  useEvent('connection.changed', (event) => {
    if (event.workspaceId !== workspaceId) return;
    setNumbers((current) => current?.map((n) => (n.e164 === event.e164 ? { ...n, ...event } : n)) ?? current);
  });
  useEvent('workspace.changed', (event) => {
    if (event.workspaceId === workspaceId) void load();
  });
  // How Cloud numbers' webhooks arrive: the relay says when that changes (and after deliveries).
  useEvent('cloud.relayChanged', (status) => {
    if (status.workspaceId === workspaceId) setRelay(status);
  });
  useEvent('faq.changed', (event) => {
    if (event.workspaceId === workspaceId) void load();
  });
  // An alert is also written to the log: read the list back once it is there (the log says when).
  const alertPending = useRef(false);
  useEvent('alert.raised', (event) => {
    if (event.workspaceId === workspaceId) alertPending.current = true;
  });
  useEvent('log.appended', (event) => {
    if (!alertPending.current || !event.workspaceIds.includes(workspaceId)) return;
    alertPending.current = false;
    void load();
  });
}
