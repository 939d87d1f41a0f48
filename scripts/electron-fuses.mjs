// electron-builder afterPack hook (electron-builder.yml `afterPack`): flips
// Electron's fuses in the packaged binary, before electron-builder signs it.
// Fuses are bits compiled into the Electron executable that turn features
// off for good, whatever the environment or command line:
//   RunAsNode off                          ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node
//   EnableNodeOptionsEnvironmentVariable   NODE_OPTIONS cannot inject code (--require) into it
//   EnableNodeCliInspectArguments off      --inspect cannot attach a debugger to the main process
//   EnableEmbeddedAsarIntegrityValidation  app.asar is checked against the hash electron-builder embeds (macOS, Windows)
//   OnlyLoadAppFromAsar on                 the app is loaded from app.asar only, not from a planted app/ folder
//   EnableCookieEncryption on              Chromium's cookie store is encrypted with the OS keychain
//   GrantFileProtocolExtraPrivileges off   file:// gets no extra privileges (the renderer is served over app://)
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

/** The fuse settings by name, as they are checked in tests/unit/app/electron-fuses.test.ts. */
export const FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
});

/** @electron/fuses' configuration for one platform. */
export function fuseConfig(platform) {
  const config = {
    version: FuseVersion.V1,
    // Flipping a fuse changes the binary, which voids its ad-hoc signature on Apple silicon; electron-builder signs for real after this.
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
  };
  for (const [name, value] of Object.entries(FUSES)) config[FuseV1Options[name]] = value;
  return config;
}

/** The packaged Electron executable (macOS: the .app, whose framework holds the fuses). */
export function electronExecutable(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** Flips the fuses, then reads them back: a fuse that did not take stops the build. */
export default async function afterPack(context) {
  const executable = electronExecutable(context);
  await flipFuses(executable, fuseConfig(context.electronPlatformName));
  const wire = await getCurrentFuseWire(executable);
  for (const [name, value] of Object.entries(FUSES)) {
    const state = wire[FuseV1Options[name]];
    // '1' (49) is on, '0' (48) off, 'r' (114) removed from this Electron: nothing to set.
    if (state !== 114 && state !== (value ? 49 : 48)) throw new Error(`electron-fuses: ${name} is not ${value ? 'on' : 'off'} in ${executable}`);
  }
  console.log(`electron-fuses: set ${Object.keys(FUSES).length} fuses in ${executable}`);
}
