import { useEffect, useRef, useState, type ReactNode } from 'react';
import { hrefOf, navigate, type Route } from '../router';
import { useApp } from '../state/app-context';
import { useAttention } from '../state/attention';
import { Icon, type IconName } from './Icon';
import './shell.css';

/**
 * Every section, in the sidebar on a wide window and in the bottom bar on a phone-sized one, where
 * `short` is the word under the icon (the link's accessible name stays `label` on both).
 */
const NAV: { route: Route; label: string; short: string; icon: IconName }[] = [
  { route: { name: 'home' }, label: 'Home', short: 'Home', icon: 'home' },
  { route: { name: 'conversations' }, label: 'Conversations', short: 'Chats', icon: 'chat' },
  { route: { name: 'unanswered' }, label: 'Unanswered', short: 'Questions', icon: 'alert' },
  { route: { name: 'faqs' }, label: 'FAQs', short: 'FAQs', icon: 'faq' },
  { route: { name: 'logs' }, label: 'Activity log', short: 'Activity', icon: 'logs' },
  { route: { name: 'settings' }, label: 'Settings', short: 'Settings', icon: 'settings' },
];

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { info, stream, workspace } = useApp();
  const { counts } = useAttention();
  const unread = workspace === undefined ? 0 : (counts[workspace.id]?.unread ?? 0);
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar__inner">
          <a className="brand" href="#/">
            <span className="brand__mark" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            <span className="brand__name">Switchboard</span>
          </a>
          <WorkspaceSwitcher />
          <nav className="nav" aria-label="Main">
            {NAV.map((item) => {
              const active =
                item.route.name === route.name || (route.name === 'pair' && item.route.name === 'home');
              return (
                <a
                  key={item.label}
                  className={`nav__link${active ? ' nav__link--active' : ''}`}
                  href={hrefOf(item.route)}
                  aria-current={active ? 'page' : undefined}
                >
                  <Icon name={item.icon} />
                  <span className="nav__label">{item.label}</span>
                  <span className="nav__short" aria-hidden="true">
                    {item.short}
                  </span>
                  {item.route.name === 'conversations' && unread > 0 && (
                    <span className="nav__count" title={`${unread} unread`} data-testid="nav-unread">
                      {unread > 99 ? '99+' : unread}
                    </span>
                  )}
                </a>
              );
            })}
          </nav>
          <div className="sidebar__foot">
            {info.demo && <span className="pill pill--demo">Demo mode</span>}
            <span className="sidebar__version">
              {info.shell === 'desktop' ? 'Desktop' : 'Browser'} · v{info.version}
            </span>
          </div>
        </div>
      </aside>
      <main className="main">
        {stream === 'reconnecting' && (
          <div className="stream-banner" role="status">
            Lost touch with Switchboard. Reconnecting…
          </div>
        )}
        <div className="main__inner">{children}</div>
      </main>
    </div>
  );
}

function WorkspaceSwitcher() {
  const { workspaces, workspace, selectWorkspace } = useApp();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent ? event.key === 'Escape' : !box.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div className="switcher" ref={box}>
      <button
        type="button"
        className="switcher__button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label="Switch business"
        onClick={() => setOpen(!open)}
      >
        <span className="switcher__avatar" aria-hidden="true">
          {initials(workspace?.name ?? '?')}
        </span>
        <span className="switcher__text">
          <span className="switcher__label">Business</span>
          <span className="switcher__name">{workspace?.name}</span>
        </span>
        <Icon name="chevron" size={18} />
      </button>
      {open && (
        <div className="switcher__menu" role="listbox" aria-label="Businesses">
          {workspaces.map((w) => (
            <button
              key={w.id}
              type="button"
              role="option"
              aria-selected={w.id === workspace?.id}
              className="switcher__option"
              onClick={() => {
                selectWorkspace(w.id);
                setOpen(false);
                navigate({ name: 'home' });
              }}
            >
              <span className="switcher__avatar switcher__avatar--small" aria-hidden="true">
                {initials(w.name)}
              </span>
              {w.name}
            </button>
          ))}
          <button
            type="button"
            className="switcher__option switcher__option--add"
            onClick={() => {
              setOpen(false);
              navigate({ name: 'new-workspace' });
            }}
          >
            <Icon name="plus" size={18} /> Add a business
          </button>
        </div>
      )}
    </div>
  );
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** The title block every screen starts with. */
export function PageHeader(props: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-header__title">{props.title}</h1>
        {props.subtitle !== undefined && <p className="page-header__subtitle">{props.subtitle}</p>}
      </div>
      {props.actions !== undefined && <div className="page-header__actions">{props.actions}</div>}
    </header>
  );
}
