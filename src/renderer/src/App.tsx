import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { Workspace } from '../../shared/dto';
import { CommandError, createClient, errorMessage, type SwitchboardClient } from './client/client';
import { createHttpTransport } from './client/http-transport';
import { createIpcTransport, type PreloadBridge } from './client/ipc-transport';
import { forgetToken, loadToken, saveToken, takeTokenFromLocation } from './client/token';
import { Layout, PageHeader } from './components/Layout';
import { assertNever } from './assert-never';
import { navigate, useRoute, type Route } from './router';
import { Conversations } from './screens/Conversations';
import { Unanswered } from './screens/Unanswered';
import { Faqs } from './screens/Faqs';
import { FirstRun } from './screens/FirstRun';
import { Home } from './screens/Home';
import { Logs } from './screens/Logs';
import { PairNumber, Spinner } from './screens/PairNumber';
import { Settings } from './screens/Settings';
import { TokenScreen } from './screens/TokenScreen';
import { AppProvider, useApp } from './state/app-context';
import { AttentionProvider } from './state/attention';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in a browser. */
    switchboard?: PreloadBridge;
  }
}

type Boot =
  | { kind: 'loading' }
  | { kind: 'token'; refused: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; client: SwitchboardClient; info: AppInfo; workspaces: Workspace[] };

/** Finds the way to the core (IPC in the desktop app, HTTP with a token in a browser), then the app. */
export function App() {
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });

  const open = useCallback(
    async (client: SwitchboardClient, token?: { onAccepted: () => void; onRefused: () => void }) => {
      try {
        const info = await client.invoke('app.info');
        const workspaces = await client.invoke('workspace.list');
        token?.onAccepted();
        setBoot({ kind: 'ready', client, info, workspaces });
      } catch (failure) {
        client.close();
        if (failure instanceof CommandError && failure.code === 'UNAUTHORIZED' && token !== undefined)
          token.onRefused();
        else setBoot({ kind: 'failed', message: errorMessage(failure) });
      }
    },
    [],
  );

  const tryToken = useCallback(
    (token: string) => {
      setBoot({ kind: 'loading' });
      void open(createClient(createHttpTransport(window.location.origin, token)), {
        // Kept only once the server accepted it.
        onAccepted: () => saveToken(token),
        onRefused: () => {
          forgetToken();
          setBoot({ kind: 'token', refused: true });
        },
      });
    },
    [open],
  );

  useEffect(() => {
    if (window.switchboard !== undefined) {
      void open(createClient(createIpcTransport(window.switchboard)));
      return;
    }
    const token = takeTokenFromLocation() ?? loadToken();
    if (token === null) setBoot({ kind: 'token', refused: false });
    else tryToken(token);
    // The printed link opened in a tab that already shows the app.
    const onHash = () => {
      const fromLink = takeTokenFromLocation();
      if (fromLink !== null) tryToken(fromLink);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [open, tryToken]);

  switch (boot.kind) {
    case 'loading':
      return (
        <main className="center-page">
          <Spinner label="Opening Switchboard…" />
        </main>
      );
    case 'token':
      return <TokenScreen refused={boot.refused} onSubmit={tryToken} />;
    case 'failed':
      return (
        <main className="center-page">
          <div className="card card--narrow">
            <h1 className="card__title">Switchboard is not answering</h1>
            <p className="muted">{boot.message}</p>
            <button className="button button--primary" type="button" onClick={() => window.location.reload()}>
              Try again
            </button>
          </div>
        </main>
      );
    case 'ready':
      return (
        <AppProvider client={boot.client} info={boot.info} initialWorkspaces={boot.workspaces}>
          <AttentionProvider>
            <Main firstRun={boot.workspaces.length === 0} />
          </AttentionProvider>
        </AppProvider>
      );
    default:
      return assertNever(boot);
  }
}

function Main({ firstRun }: { firstRun: boolean }) {
  const { workspaces, workspace, selectWorkspace } = useApp();
  const route = useRoute();
  const [onboarding, setOnboarding] = useState(firstRun);
  // A chat's address (a notification's click) names its business: switch to it.
  const routeWorkspace = route.name === 'conversations' ? route.workspaceId : undefined;
  useEffect(() => {
    if (routeWorkspace !== undefined && workspaces.some((w) => w.id === routeWorkspace)) {
      selectWorkspace(routeWorkspace);
    }
  }, [routeWorkspace, workspaces, selectWorkspace]);

  if (onboarding || workspaces.length === 0 || workspace === undefined) {
    return <FirstRun onFinished={() => setOnboarding(false)} />;
  }
  return (
    <Layout route={route}>
      {/* A new workspace is selected while its set-up is still on screen: that screen must not restart. */}
      <Screen key={route.name === 'new-workspace' ? 'new' : `${workspace.id}:${route.name}`} route={route} />
    </Layout>
  );
}

/** The screens that take nothing from their route but its name. */
const PLAIN_SCREENS = {
  home: Home,
  conversations: Conversations,
  unanswered: Unanswered,
  faqs: Faqs,
  logs: Logs,
  settings: Settings,
} as const;

function Screen({ route }: { route: Route }) {
  const { workspace } = useApp();
  switch (route.name) {
    case 'pair':
      return (
        <>
          <PageHeader title="Link a WhatsApp number" subtitle="Takes a minute. Keep the phone close." />
          <section className="card">
            <PairNumber
              key={route.phoneNumberId}
              workspaceId={workspace!.id}
              phoneNumberId={route.phoneNumberId}
              onDone={() => navigate({ name: 'home' })}
            />
          </section>
        </>
      );
    case 'new-workspace':
      return (
        <>
          <PageHeader
            title="Add a business"
            subtitle="Each business has its own WhatsApp numbers, FAQs and settings."
          />
          <FirstRun embedded />
        </>
      );
    default: {
      // Every other route has its screen here: a new one without a case above fails to compile.
      const Plain = PLAIN_SCREENS[route.name];
      return <Plain />;
    }
  }
}
