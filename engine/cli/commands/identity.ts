import { resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { describeIdentity, importIdentity, loadSigningIdentity } from '../../provenance/identity.js';
import { stringOption, type CliCommand } from '../command.js';

export const identityCommand: CliCommand = {
  name: 'identity',
  summary: 'show or import the certificate Klappe signs exports with',
  usage: 'klappe identity show | klappe identity import --cert CHAIN.pem --key KEY.pem',
  details: [
    'show: the signing certificate (made on first use: a local root CA and a P-256 signing certificate in the config folder, keys 0600).',
    'import: use your own chain (PEM, signing certificate first) and PKCS#8 P-256 key; it is checked now (validity, key usage, chain, key match).',
  ],
  options: {
    cert: { type: 'string' },
    key: { type: 'string' },
  },
  async run(parsed, io) {
    const sub = parsed.positionals[0] ?? 'show';
    let identity;
    if (sub === 'show') identity = await loadSigningIdentity();
    else if (sub === 'import') {
      const cert = stringOption(parsed, 'cert');
      const key = stringOption(parsed, 'key');
      if (!cert || !key)
        throw inputError('BAD_ARGUMENTS', 'identity import needs --cert and --key', {
          path: cert ? '--key' : '--cert',
          hint: `Usage: ${this.usage}`,
        });
      identity = await importIdentity(resolve(cert), resolve(key));
    } else throw inputError('BAD_ARGUMENTS', `unknown identity action "${sub}"`, { path: 'action', hint: `Usage: ${this.usage}` });
    const d = await describeIdentity(identity);
    if (parsed.json) io.out(JSON.stringify(d, null, 2));
    else {
      io.out(`${sub === 'import' ? 'Imported' : 'Signing identity'} (${d.source}): ${d.subject}`);
      io.out(`  issuer:   ${d.issuer}`);
      io.out(`  valid:    ${d.notBefore} … ${d.notAfter}`);
      io.out(`  sha256:   ${d.sha256}`);
      io.out(`  stored:   ${d.location}`);
      if (d.rootCa) io.out(`  root CA:  ${d.rootCa} (give it to \`klappe verify --trust\`)`);
    }
    return 0;
  },
};
