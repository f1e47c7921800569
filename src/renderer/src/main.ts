import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// The browser-mode URL carries the run's token once; the server has set it as a cookie, so drop
// it from the address bar and history.
if (new URLSearchParams(window.location.search).has('token')) {
  history.replaceState(null, '', window.location.pathname + window.location.hash);
}

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
export default mount(App, { target });
