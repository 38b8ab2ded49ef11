import { demoLogins } from '../seeds/demo.js';
import { currentCode } from '../src/auth/two-factor.js';

// The code a demo account's authenticator app would show now, for trying the demo without a phone.
console.log(currentCode(demoLogins.totpSecret));
