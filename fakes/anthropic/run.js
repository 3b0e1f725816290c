#!/usr/bin/env node
/**
 * Launcher for the fake Anthropic server with no build step (see ../run-fake.js):
 *
 *   node fakes/anthropic/run.js --port 0 --key test-key
 */
'use strict';
require('../run-fake').runFake(__dirname, 'fake-anthropic');
