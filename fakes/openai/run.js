#!/usr/bin/env node
/**
 * Launcher for the fake OpenAI server with no build step (see ../run-fake.js):
 *
 *   node fakes/openai/run.js --port 0 --key test-key | --llama DIR
 */
'use strict';
require('../run-fake').runFake(__dirname, 'fake-openai');
