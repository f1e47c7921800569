import { mount } from 'svelte';
import App from './App.svelte';
import WebcamApp from './webcam/webcam-app.svelte';
import './app.css';

// The browser-mode URL carries the run's token once; the server has set it as a cookie, so drop
// it from the address bar and history.
if (new URLSearchParams(window.location.search).has('token')) {
  history.replaceState(null, '', window.location.pathname + window.location.hash);
}

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
// The webcam window: `/webcam` in browser mode, `#/webcam` in Electron (one index.html for both).
const isWebcamRoute = window.location.pathname === '/webcam' || window.location.hash === '#/webcam';
export default isWebcamRoute ? mount(WebcamApp, { target }) : mount(App, { target });
