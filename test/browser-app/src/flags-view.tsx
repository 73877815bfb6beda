import {
  useBooleanFlagValue,
  useOpenFeatureClientStatus,
  useStringFlagDetails,
  useStringFlagValue,
  useTrack,
} from '@openfeature/react-sdk';

/** Renders a few flags; the test reads them by id. */
export function FlagsView() {
  const status = useOpenFeatureClientStatus();
  const checkout = useBooleanFlagValue('new-checkout', false);
  const theme = useStringFlagValue('theme', 'none');
  const banner = useStringFlagValue('banner-text', 'default banner');
  // Hidden from client keys (clientVisible: false): the page must get its own default, as for a missing flag.
  const serverOnly = useStringFlagDetails('server-only-secret-flag', 'app default');
  const { track } = useTrack();
  return (
    <main className={theme === 'dark' ? 'dark' : ''}>
      <h1>Switchyard flags</h1>
      <dl>
        <dt>status</dt>
        <dd id="status">{status}</dd>
        <dt>new-checkout</dt>
        <dd id="new-checkout">{String(checkout)}</dd>
        <dt>theme</dt>
        <dd id="theme">{theme}</dd>
        <dt>banner-text</dt>
        <dd id="banner-text">{banner}</dd>
        <dt>server-only-secret-flag</dt>
        <dd id="server-only">{`${serverOnly.value} ${serverOnly.errorCode ?? 'no error'}`}</dd>
      </dl>
      <button id="buy" onClick={() => track('checkout-completed', { value: 42, flagName: 'new-checkout' })}>
        Buy
      </button>
    </main>
  );
}
