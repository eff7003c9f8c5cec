import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { parseQueryOnce } from '../../../server/middleware/queryOnce.js';

describe('req.query is parsed once per request (server/middleware/queryOnce.ts)', () => {
  function appCountingParses() {
    const app = express();
    let parses = 0;
    app.set('query parser', (qs: string) => {
      parses++;
      return Object.fromEntries(new URLSearchParams(qs));
    });
    parseQueryOnce(app);
    return { app, parses: () => parses };
  }

  it('when a handler reads req.query many times, then the query string is parsed once and every read gives its values', async () => {
    const { app, parses } = appCountingParses();
    app.get('/list', (req, res) => {
      const reads = [];
      for (let i = 0; i < 12; i++) reads.push(req.query.status);
      res.json({ reads, sort: req.query.sort });
    });
    const res = await request(app).get('/list?status=approved&sort=hirer');
    expect(res.body.reads).to.deep.equal(Array(12).fill('approved'));
    expect(res.body.sort).to.equal('hirer');
    expect(parses()).to.equal(1);
  });

  it('when two requests carry different queries, then each reads its own', async () => {
    const { app, parses } = appCountingParses();
    app.get('/q', (req, res) => {
      res.send(String(req.query.page));
    });
    expect((await request(app).get('/q?page=2')).text).to.equal('2');
    expect((await request(app).get('/q?page=3')).text).to.equal('3');
    expect(parses()).to.equal(2);
  });

  it('when a handler assigns req.query, then later reads see what it assigned', async () => {
    const { app } = appCountingParses();
    app.get('/a', (req, res) => {
      req.query = { page: 'set' };
      res.send(String(req.query.page));
    });
    expect((await request(app).get('/a?page=1')).text).to.equal('set');
  });
});
