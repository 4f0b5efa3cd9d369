// Who is speaking: the WebAudio level of each audio stream marks its tile (data-speaking).

const SPEAKING_LEVEL = 0.02; // RMS of the analyser's time-domain samples

export function createSpeakingMeters() {
  let audioContext = null;
  const meters = new Map(); // key -> {analyser, stream, data, tile}

  function update() {
    for (const [key, m] of meters) {
      if (!m.tile.isConnected) {
        meters.delete(key);
        continue;
      }
      m.analyser.getFloatTimeDomainData(m.data);
      let sum = 0;
      for (const v of m.data) sum += v * v;
      const level = Math.sqrt(sum / m.data.length);
      m.tile.dataset.speaking = m.tile.dataset.audio === 'on' && level > SPEAKING_LEVEL ? 'true' : 'false';
    }
  }

  return {
    /** Create (or resume) the audio context; call from a click so the browser allows it. */
    ensure() {
      if (!audioContext && window.AudioContext) {
        audioContext = new AudioContext();
        setInterval(update, 150);
      }
      if (audioContext && audioContext.state === 'suspended') audioContext.resume().catch(() => {});
    },
    /** Measure `stream` for `tile` (once per stream). */
    watch(key, stream, tile) {
      if (!audioContext) return;
      const existing = meters.get(key);
      if (existing && existing.stream === stream) return;
      const analyser = audioContext.createAnalyser();
      analyser.fftSize = 512;
      audioContext.createMediaStreamSource(stream).connect(analyser);
      meters.set(key, { analyser, stream, data: new Float32Array(analyser.fftSize), tile });
    },
    forget: (key) => meters.delete(key),
  };
}
