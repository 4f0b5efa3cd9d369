// One RTCPeerConnection per peer with perfect negotiation (MDN): the server hands out the
// polite/impolite roles per pair; the newcomer makes the first offer, the others answer.

/**
 * A peer record with its connection and handlers set.
 * @param {object} info       {id, username, color, media, role}
 * @param {boolean} initiator we make the first offer
 * @param {object} ctx        {iceServers, send(msg), since, onTrack(peer, track, transceiver), onState(peer)}
 */
export function createPeer(info, initiator, ctx) {
  const pc = new RTCPeerConnection({ iceServers: ctx.iceServers, bundlePolicy: 'max-bundle' });
  const peer = {
    id: info.id, username: info.username, color: info.color, media: info.media,
    polite: info.role === 'polite', pc, makingOffer: false, ignoreOffer: false,
    answerPending: false, attached: false, audioTx: null, videoTx: null, screenTx: null,
    since: initiator ? null : ctx.since || null,
    audioStream: null, cameraStream: null, screenStream: null,
  };
  pc.onicecandidate = ({ candidate }) =>
    ctx.send({ type: 'candidate', to: peer.id, candidate: candidate ? candidate.toJSON() : null });
  pc.onnegotiationneeded = async () => {
    try {
      peer.makingOffer = true;
      await pc.setLocalDescription();
      ctx.send({ type: pc.localDescription.type, to: peer.id, sdp: pc.localDescription.sdp });
    } catch (error) {
      console.warn('call: negotiation with', peer.username, error);
    } finally {
      peer.makingOffer = false;
    }
  };
  pc.ontrack = ({ track, transceiver }) => ctx.onTrack(peer, track, transceiver);
  pc.oniceconnectionstatechange = () => {
    if (pc.iceConnectionState === 'failed') pc.restartIce();
  };
  pc.onconnectionstatechange = () => ctx.onState(peer);
  return peer;
}

/**
 * Apply an offer or answer from the peer; answer offers. attachLocal(peer) puts our tracks on
 * the offered transceivers the first time.
 */
export async function acceptDescription(peer, message, send, attachLocal) {
  const { pc } = peer;
  const description = { type: message.type, sdp: message.sdp };
  const readyForOffer = !peer.makingOffer && (pc.signalingState === 'stable' || peer.answerPending);
  const offerCollision = description.type === 'offer' && !readyForOffer;
  peer.ignoreOffer = !peer.polite && offerCollision;
  if (peer.ignoreOffer) return;
  peer.answerPending = description.type === 'answer';
  await pc.setRemoteDescription(description);
  peer.answerPending = false;
  if (description.type === 'offer') {
    if (!peer.attached) attachLocal(peer);
    await pc.setLocalDescription();
    send({ type: pc.localDescription.type, to: peer.id, sdp: pc.localDescription.sdp });
  }
}

export async function acceptCandidate(peer, candidate) {
  try {
    await peer.pc.addIceCandidate(candidate || null);
  } catch (error) {
    if (!peer.ignoreOffer) console.warn('call: candidate from', peer.username, error);
  }
}

/** After either side's signaling socket came back: finish a lost offer, or restart ICE. */
export function resyncPeer(peer, send) {
  const { pc } = peer;
  if (pc.signalingState === 'have-local-offer' && pc.localDescription) {
    send({ type: 'offer', to: peer.id, sdp: pc.localDescription.sdp });
  } else if (!['connected', 'completed'].includes(pc.iceConnectionState)) {
    pc.restartIce();
  }
}
