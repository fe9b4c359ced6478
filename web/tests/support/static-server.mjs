// A plain static file server, as a static host or CDN is: files, their
// types, range requests (which PMTiles reads through), and gzip for text
// (as GitHub Pages or any CDN compress it), nothing else. The static-site
// test serves an export with it, no Frontline process.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png',
};

export function serveStatic(root, port = 0) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://host').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(base, path.normalize(rel));
    if (!file.startsWith(base + path.sep)) return res.writeHead(403).end();
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return res.writeHead(404).end('not found');
      const type = TYPES[path.extname(file)] || 'application/octet-stream';
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
      if (!range) {
        if (/^(text|application\/json)/.test(type) && /gzip/.test(req.headers['accept-encoding'] || '')) {
          res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Accept-Ranges': 'bytes' });
          return fs.createReadStream(file).pipe(zlib.createGzip()).pipe(res);
        }
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, 'Accept-Ranges': 'bytes' });
        return fs.createReadStream(file).pipe(res);
      }
      const start = range[1] === '' ? Math.max(st.size - Number(range[2]), 0) : Number(range[1]);
      const end = range[1] === '' || range[2] === '' ? st.size - 1 : Math.min(Number(range[2]), st.size - 1);
      if (start > end) return res.writeHead(416, { 'Content-Range': `bytes */${st.size}` }).end();
      res.writeHead(206, { 'Content-Type': type, 'Content-Range': `bytes ${start}-${end}/${st.size}`, 'Content-Length': end - start + 1 });
      fs.createReadStream(file, { start, end }).pipe(res);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
