import { useState } from 'react';
import type { CreatedWorkspace } from '../../../shared/contract';
import { navigate } from '../router';
import { useApp } from '../state/app-context';
import { CreateWorkspaceForm } from './CreateWorkspaceForm';
import { PairNumber } from './PairNumber';
import { MoveHere } from './MoveHere';
import { BigBrandMark } from '../components/BrandMark';

/**
 * Set-up: the business first, then linking its WhatsApp. Used on first start (full screen) and by a
 * reseller adding another business (inside the app).
 */
export function FirstRun(props: { embedded?: boolean; onFinished?: () => void }) {
  const { selectWorkspace, reloadWorkspaces } = useApp();
  const [created, setCreated] = useState<CreatedWorkspace | null>(null);
  const [moving, setMoving] = useState(false);
  const step = created === null ? 1 : 2;

  const onCreated = (result: CreatedWorkspace) => {
    setCreated(result);
    selectWorkspace(result.workspace.id);
  };
  const finish = () => {
    void reloadWorkspaces().finally(() => {
      navigate({ name: 'home' });
      props.onFinished?.();
    });
  };

  const body = (
    <div className={`onboarding${props.embedded === true ? ' onboarding--embedded' : ''}`}>
      {props.embedded !== true && (
        <div className="onboarding__intro">
          <BigBrandMark />
          <h1 className="onboarding__title">Welcome to Switchboard</h1>
          <p className="onboarding__lead">
            Your shop&rsquo;s WhatsApp, answered from this computer. Set up takes about two minutes.
          </p>
        </div>
      )}
      <ol className="stepper" aria-label="Set-up steps">
        <li className={`stepper__step${step === 1 ? ' stepper__step--current' : ' stepper__step--done'}`}>
          <span className="stepper__num">1</span> Your business
        </li>
        <li className={`stepper__step${step === 2 ? ' stepper__step--current' : ''}`}>
          <span className="stepper__num">2</span> Link WhatsApp
        </li>
      </ol>
      <section className="card onboarding__card">
        {moving ? (
          <MoveHere onCancel={() => setMoving(false)} />
        ) : created === null ? (
          <>
            <h2 className="card__title">Tell us about your business</h2>
            <p className="muted card__lead">Customers never see these settings. You can change them later.</p>
            <CreateWorkspaceForm onCreated={onCreated} />
            {props.embedded !== true && (
              <p className="onboarding__alt">
                <button className="button button--link" type="button" onClick={() => setMoving(true)}>
                  I already use Switchboard on another computer
                </button>
              </p>
            )}
          </>
        ) : created.number !== null ? (
          <>
            <h2 className="card__title">Link {created.workspace.name}&rsquo;s WhatsApp</h2>
            <PairNumber
              workspaceId={created.workspace.id}
              phoneNumberId={created.number.id}
              onDone={finish}
            />
          </>
        ) : (
          <button className="button button--primary" type="button" onClick={finish}>
            Go to your dashboard
          </button>
        )}
      </section>
    </div>
  );
  return props.embedded === true ? body : <main className="center-page center-page--top">{body}</main>;
}
