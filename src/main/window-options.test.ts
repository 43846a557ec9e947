import { describe, expect, it } from 'vitest';
import { isAppNavigation, isExternalWebLink, secureWindowOptions } from './window-options';

describe('secureWindowOptions', () => {
  it('isolates and sandboxes the renderer and points at the given preload', () => {
    const options = secureWindowOptions('/app/out/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('returns a fresh object each time', () => {
    expect(secureWindowOptions('a')).not.toBe(secureWindowOptions('a'));
  });
});

describe('isAppNavigation', () => {
  const devUrl = 'http://localhost:5173/';
  const fileUrl = 'file:///opt/Switchboard/resources/app.asar/out/renderer/index.html';

  it.each([
    [devUrl, 'http://localhost:5173/#/settings', true],
    [devUrl, 'http://localhost:5173/other.html', true],
    [devUrl, 'http://localhost:5174/', false],
    [devUrl, 'https://localhost:5173/', false],
    [devUrl, 'https://example.com/', false],
    [fileUrl, `${fileUrl}#/faq`, true],
    [fileUrl, `${fileUrl}?x=1`, true],
    [fileUrl, 'file:///etc/passwd', false],
    [fileUrl, 'https://example.com/index.html', false],
    [fileUrl, 'not a url', false],
    ['not a url', fileUrl, false],
  ])('app %s -> %s: %s', (app, target, allowed) => {
    expect(isAppNavigation(target, app)).toBe(allowed);
  });
});

describe('isExternalWebLink', () => {
  it.each([
    ['https://wa.me/2348012345678', true],
    ['http://example.com', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mailto:shop@example.com', false],
    ['', false],
  ])('%s: %s', (url, expected) => {
    expect(isExternalWebLink(url)).toBe(expected);
  });
});
