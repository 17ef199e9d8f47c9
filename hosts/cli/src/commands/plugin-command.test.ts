// Plugin-contributed commands: the longest matching command id wins and gets the remaining arguments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CliCommand } from '@tessera/sdk';
import { matchCommand } from './plugin-command.js';

const command = (id: string): CliCommand => ({ id, summary: id, usage: id, run: async () => 0 });
const commands = [command('chip'), command('chip read'), command('pa verify')];

test('the longest command id that prefixes the arguments wins', () => {
  assert.is(matchCommand(commands, ['chip', 'read', '--reader', 'x'])!.command.id, 'chip read');
  assert.equal(matchCommand(commands, ['chip', 'read', '--reader', 'x'])!.args, ['--reader', 'x']);
  assert.is(matchCommand(commands, ['chip', 'replay'])!.command.id, 'chip');
  assert.equal(matchCommand(commands, ['pa', 'verify', '--sod', 'f'])!.args, ['--sod', 'f']);
});

test('no match when only part of a multi-word id is given', () => {
  assert.is(matchCommand(commands, ['pa']), null);
  assert.is(matchCommand(commands, ['frobnicate']), null);
});

test.run();
