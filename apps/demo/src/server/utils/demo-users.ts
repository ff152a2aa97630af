/** A demo account. Passwords are stored only as scrypt hashes, each with its own salt. */
export interface DemoUser {
  id: string;
  username: string;
  name: string;
  /** base64url */
  salt: string;
  /** base64url scrypt(password, salt, 32 bytes, N=16384, r=8, p=1) */
  hash: string;
}

// Passwords (documented in apps/demo/README.md): ada / lovelace-demo, grace / hopper-demo.
export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'u-ada',
    username: 'ada',
    name: 'Ada Lovelace',
    salt: 'Re0pxaWqvm5nbYdaxyboOA',
    hash: 'jlACghkNtcmerT1GeLXD1_2FwmoQYR2KfxiGjOUIN8o',
  },
  {
    id: 'u-grace',
    username: 'grace',
    name: 'Grace Hopper',
    salt: 'gPUODxrRZ3qE-nqTqTH1zA',
    hash: 'D27Jh6_M-fWR64y__0JXPJ1ADvXNIeeIhG1XYrqVda0',
  },
];
