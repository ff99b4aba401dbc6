import { SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

/** One queue on a fauxqs of its own, with a client for it: what a simulator that sends events needs. */
export const startLocalQueue = async (name: string) => {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const sqs = new SQSClient({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  const { queueUrl } = fauxqs.createQueue(name, { region: 'eu-west-1' });
  return {
    sqs,
    queueUrl,
    async stop() {
      sqs.destroy();
      await fauxqs.stop();
    },
  };
};
export type LocalQueue = Awaited<ReturnType<typeof startLocalQueue>>;
