// First remote frame per peer (getStats), for the connection hint and the benchmark:
// firstFrame[peer] = ms from our join (peers already in the call) or from the peer's arrival
// (peers who came later) to the first decoded video frame from that peer.

/** Polls until the call we joined at metrics.joinStartedAt ends (isJoined() false or a rejoin). */
export async function watchFirstFrames(metrics, peers, isJoined) {
  const started = metrics.joinStartedAt;
  while (isJoined() && started === metrics.joinStartedAt) {
    const waiting = [...peers.values()].filter((p) => metrics.firstFrame[p.id] == null);
    for (const peer of waiting) {
      if (performance.now() - (peer.since || started) > 60000) continue; // no video from them
      const stats = await peer.pc.getStats();
      stats.forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video' && report.framesDecoded > 0 &&
            metrics.firstFrame[peer.id] == null) {
          const since = peer.since || started;
          metrics.firstFrame[peer.id] = { ms: performance.now() - since, since: peer.since ? 'peer-joined' : 'join' };
        }
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
