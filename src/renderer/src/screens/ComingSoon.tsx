import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Layout';

export function ComingSoon() {
  return (
    <>
      <PageHeader title="Conversations" />
      <div className="empty card">
        <span className="empty__icon" aria-hidden="true">
          <Icon name="chat" size={28} />
        </span>
        <p className="empty__title">Coming soon</p>
        <p className="muted">
          This is where you will read every chat, see what the bot answered, and pick up the questions it
          could not. Until then, messages arriving while Switchboard is open show on the Home screen.
        </p>
      </div>
    </>
  );
}
