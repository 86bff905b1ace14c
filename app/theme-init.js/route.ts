// A tiny blocking script in <head> that applies the stored theme before first paint (no flash). Served as a file
// so the page needs no inline script.
const js = `try{var t=localStorage.getItem("chainproof.theme");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;

export function GET() {
  return new Response(js, { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" } });
}

export const dynamic = "force-static";
