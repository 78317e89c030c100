// electron-builder afterPack hook: sets Electron's fuses on the packaged binary
// (issue 19). Off: running the binary as plain Node, NODE_OPTIONS, --inspect;
// on: asar integrity validation and loading the app only from its asar.
const { join } = require('node:path');

function fuseConfig() {
  const { FuseVersion, FuseV1Options } = require('@electron/fuses');
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableCookieEncryption]: true,
  };
}

/** The packaged Electron binary for electron-builder's afterPack context. */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName ?? name.toLowerCase());
  }
}

async function afterPack(context) {
  const { flipFuses } = require('@electron/fuses');
  await flipFuses(electronBinary(context), { ...fuseConfig(), resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinary = electronBinary;
