// Our own microphone, camera and screen in the call, and their tracks on every peer connection.
// m-lines: audio, video (present even with the camera off, so turning it on is a replaceTrack,
// not a renegotiation), then one more video per screen share.
import { CAMERA, deviceMessage, getTrack } from './devices.js';

/**
 * @param {object} o
 * @param {Map} o.peers                     id → peer (negotiation.js)
 * @param {(msg: object) => void} o.send    signaling
 * @param {(patch: object) => Promise} o.requestMedia  ask the server first (video slots are limited)
 * @param {(text: string, kind?: string) => void} o.setStatus
 * @param {() => void} o.onChange           redraw our tile and the controls
 */
export function createLocalMedia({ peers, send, requestMedia, setStatus, onChange }) {
  const media = { audio: false, video: false, screen: false };
  const localStream = new MediaStream();
  let micTrack = null;
  let camTrack = null;
  let screenTrack = null;
  let micStream = null; // the microphone alone (the speaking meter)
  let camStream = null; // the camera alone (the self view)
  let screenStream = null;

  /** Microphone (and camera when asked) for a join; throws when the microphone is refused. */
  async function start(withCamera) {
    const notes = [];
    micTrack = await getTrack({ audio: true }, 'microphone', notes);
    if (withCamera) camTrack = await getTrack({ video: CAMERA }, 'camera', notes);
    for (const track of [micTrack, camTrack]) if (track) localStream.addTrack(track);
    micStream = micTrack ? new MediaStream([micTrack]) : null;
    camStream = camTrack ? new MediaStream([camTrack]) : null;
    media.audio = !!micTrack;
    media.video = !!camTrack;
    media.screen = false;
    return notes;
  }

  /** Put our tracks on the peer's connection: new transceivers (offerer) or the offered ones. */
  function attachTo(peer, offered) {
    const { pc } = peer;
    if (offered) {
      const txs = pc.getTransceivers();
      peer.audioTx = txs.find((t) => t.receiver.track.kind === 'audio') || pc.addTransceiver('audio');
      peer.videoTx = txs.find((t) => t.receiver.track.kind === 'video') || pc.addTransceiver('video');
      for (const tx of [peer.audioTx, peer.videoTx]) {
        tx.direction = 'sendrecv';
        if (tx.sender.setStreams) tx.sender.setStreams(localStream);
      }
      peer.audioTx.sender.replaceTrack(micTrack);
      peer.videoTx.sender.replaceTrack(camTrack);
    } else {
      peer.audioTx = pc.addTransceiver(micTrack || 'audio', { direction: 'sendrecv', streams: [localStream] });
      peer.videoTx = pc.addTransceiver(camTrack || 'video', { direction: 'sendrecv', streams: [localStream] });
    }
    peer.attached = true;
    if (screenTrack) addScreenTo(peer);
  }

  function setMic(on) {
    if (!micTrack) {
      setStatus('You have no microphone in this call.', 'warn');
      return;
    }
    micTrack.enabled = on;
    media.audio = on;
    send({ type: 'media', media: { audio: on } });
    onChange();
  }

  async function startCamera() {
    try {
      await requestMedia({ video: true });
    } catch (error) {
      setStatus(error.message, 'warn');
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: CAMERA });
      camTrack = stream.getVideoTracks()[0];
    } catch (error) {
      send({ type: 'media', media: { video: false } });
      setStatus(deviceMessage(error, 'camera'), 'error');
      return;
    }
    localStream.addTrack(camTrack);
    camStream = new MediaStream([camTrack]);
    for (const peer of peers.values()) if (peer.videoTx) peer.videoTx.sender.replaceTrack(camTrack);
    media.video = true;
    onChange();
  }

  function stopCamera(announce = true) {
    if (camTrack) {
      camTrack.stop();
      localStream.removeTrack(camTrack);
      camTrack = null;
      camStream = null;
    }
    for (const peer of peers.values()) if (peer.videoTx) peer.videoTx.sender.replaceTrack(null);
    media.video = false;
    if (announce) send({ type: 'media', media: { video: false } });
    onChange();
  }

  async function startScreen() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
      setStatus('This browser cannot share a screen.', 'error');
      return;
    }
    // Ask for the screen first: getDisplayMedia needs the click's (short-lived) user activation.
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10, max: 15 } }, audio: false });
    } catch (error) {
      setStatus(error.name === 'NotAllowedError' ? 'Screen sharing was cancelled or refused.' : deviceMessage(error, 'screen'), 'warn');
      return;
    }
    try {
      await requestMedia({ screen: true });
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      setStatus(error.message, 'warn');
      return;
    }
    screenStream = stream;
    screenTrack = screenStream.getVideoTracks()[0];
    if ('contentHint' in screenTrack) screenTrack.contentHint = 'detail'; // keep code readable
    screenTrack.addEventListener('ended', () => stopScreen()); // the browser's "Stop sharing"
    for (const peer of peers.values()) if (peer.attached) addScreenTo(peer);
    media.screen = true;
    onChange();
  }

  function addScreenTo(peer) {
    if (peer.screenTx && peer.screenTx.currentDirection !== 'stopped') {
      peer.screenTx.direction = 'sendonly';
      peer.screenTx.sender.replaceTrack(screenTrack);
    } else {
      peer.screenTx = peer.pc.addTransceiver(screenTrack, { direction: 'sendonly', streams: [screenStream] });
    }
  }

  function stopScreen(announce = true) {
    if (screenTrack) screenTrack.stop();
    screenTrack = null;
    screenStream = null;
    for (const peer of peers.values()) {
      if (peer.screenTx) {
        peer.screenTx.sender.replaceTrack(null);
        peer.screenTx.direction = 'inactive';
      }
    }
    const wasOn = media.screen;
    media.screen = false;
    if (announce && wasOn) send({ type: 'media', media: { screen: false } });
    onChange();
  }

  /** Everything off (leaving the call). */
  function stopAll() {
    stopScreen(false);
    stopCamera(false);
    if (micTrack) {
      micTrack.stop();
      localStream.removeTrack(micTrack);
      micTrack = null;
      micStream = null;
    }
    media.audio = media.video = media.screen = false;
  }

  return {
    media,
    start,
    attachTo,
    setMic,
    startCamera,
    stopCamera,
    startScreen,
    stopScreen,
    stopAll,
    hasMic: () => !!micTrack,
    hasCamera: () => !!camTrack,
    streams: () => ({ mic: micStream, camera: camStream, screen: screenStream, screenOn: !!screenTrack }),
  };
}
