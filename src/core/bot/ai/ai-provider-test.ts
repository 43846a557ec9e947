import type { AiTestResult } from '../../../shared/ai-contract';
import type { WorkspaceId } from '../../../shared/types';
import { SwitchboardError } from '../../errors';
import { workspaceOf, type AiServiceOptions } from './ai-service-options';
import { providerFromSettings } from './providers';
import { ProviderError } from './types';

const TEST_TIMEOUT_MS = 20_000;

/** One real request to a provider, as the owner's Test button: its answer and time, or what to check. */
export async function testProvider(
  options: AiServiceOptions,
  workspaceId: WorkspaceId,
  providerId: string,
): Promise<AiTestResult> {
  const { keys } = options;
  const workspace = await workspaceOf(options, workspaceId);
  const config = workspace.settings.ai.providers.find((p) => p.id === providerId);
  if (config === undefined) {
    throw new SwitchboardError('NOT_FOUND', `There is no AI provider called ${providerId}.`);
  }
  const key = config.needsKey ? await keys.get(workspaceId, providerId) : '';
  if (key === null) {
    return {
      ok: false,
      latencyMs: 0,
      message: 'No API key is stored for this provider: enter the key and save.',
    };
  }
  const provider = providerFromSettings(config, key, TEST_TIMEOUT_MS);
  const started = performance.now();
  const log = options.logger.child({ workspaceId });
  try {
    const result = await provider.complete({
      system: 'You check that a connection works. Reply with the single word OK.',
      messages: [{ role: 'user', content: 'Are you there?' }],
      maxTokens: 5,
    });
    const latencyMs = Math.round(performance.now() - started);
    options.health.recovered(workspaceId, providerId);
    log.info('ai.tested', `AI provider ${providerId} answered in ${latencyMs} ms`, {
      provider: providerId,
      model: result.model,
      latencyMs,
    });
    return { ok: true, latencyMs, message: `${config.model} answered: "${result.text.slice(0, 80)}"` };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const message = explain(error);
    log.warn('ai.test_failed', `AI provider ${providerId} test failed: ${message}`, {
      provider: providerId,
      kind: error instanceof ProviderError ? error.kind : 'unexpected',
      status: error instanceof ProviderError ? error.status : null,
    });
    return { ok: false, latencyMs, message };
  }
}

/** A failed test in words that say what to check. The key never appears (ProviderError keeps it out). */
function explain(error: unknown): string {
  if (!(error instanceof ProviderError)) return 'Something unexpected went wrong; see the log.';
  switch (error.kind) {
    case 'key-refused':
      return 'The provider refused the API key: check it and save it again.';
    case 'client':
      return error.status === 404
        ? 'The address or model name is wrong (the provider said 404).'
        : `The provider refused the request (HTTP ${error.status ?? '?'}): check the model name.`;
    case 'rate-limited':
      return 'The provider says too many requests (429): wait a little, or check your plan.';
    case 'server':
      return `The provider had an error (HTTP ${error.status ?? '5xx'}): try again later.`;
    case 'timeout':
      return 'No answer in time: check the address and the internet connection.';
    case 'network':
      return 'Could not reach the address: check it and the internet connection.';
    case 'malformed':
      return 'The address answered, but not like an AI API: check that it ends in the right path (e.g. /v1).';
    case 'aborted':
      return 'The test was cancelled.';
  }
}
