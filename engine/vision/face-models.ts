/**
 * The product's own copies of the face models (assets/models/faces), each
 * checked against its sha256 before a session is created, and one cached
 * onnxruntime session per model (CPU; the sessions are small).
 *
 * - detector: YuNet-s (libfacedetection.train, Apache-2.0), dynamic input size,
 *   boxes and 5 keypoints;
 * - mesh: MediaPipe face mesh (Apache-2.0), 468 points from a 192×192 crop;
 * - embedding: MobileFaceNet (foamliu, Apache-2.0), 128-d from an aligned
 *   112×112 crop. Trained on a set derived from MS-Celeb-1M (withdrawn,
 *   research terms): see docs/faces.md.
 */
import * as ort from 'onnxruntime-node';
import { readCheckedModel } from '../util/checked-model.js';
import { assetPath } from '../util/paths.js';

export const FACE_MODELS = {
  detector: { file: 'yunet_s_dynamic.onnx', sha256: 'daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3' },
  mesh: { file: 'mediapipe_face_landmark_468.onnx', sha256: '2ece916c568172aafde5d8beaf0198c65b10691a618e551c4b1015a32116e326' },
  embedding: { file: 'mobilefacenet_128d.onnx', sha256: 'b7120c095d60094f28a4a54ba6a8bf51b297a6273fb40ef6350dfec1f63d9507' },
} as const;

export type FaceModel = keyof typeof FACE_MODELS;

/** Id recorded with embeddings: embeddings of different models never compare. */
export const EMBEDDING_MODEL_ID = 'mobilefacenet-128d';

export const FACE_MODEL_DIR = assetPath('models', 'faces');

/** Model bytes, verified; a missing or altered file is a runtime error naming it. */
export function readFaceModel(which: FaceModel, dir = FACE_MODEL_DIR): Uint8Array {
  const { file, sha256 } = FACE_MODELS[which];
  return readCheckedModel(`${dir}/${file}`, sha256, 'the face model');
}

const sessions = new Map<FaceModel, Promise<ort.InferenceSession>>();

/** The model's session, created once per process from the checked file. */
export function faceSession(which: FaceModel): Promise<ort.InferenceSession> {
  let s = sessions.get(which);
  if (!s) {
    s = Promise.resolve()
      .then(() =>
        ort.InferenceSession.create(readFaceModel(which), { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' }),
      )
      .catch((e: unknown) => {
        sessions.delete(which);
        throw e;
      });
    sessions.set(which, s);
  }
  return s;
}
