/**
 * Anchor 2 of `npm run bench`, the floor the Bot Framework sets: the smallest CloudAdapter bot on
 * the same botbuilder version as the KDLZ-Bot, with conversation state in memory. Every turn
 * reads and writes state and sends one reply to the channel, as a real bot does.
 * Started as a child process by bench/run.ts; reads PORT/HOST itself because it is not the app.
 */
import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  ConversationState,
  MemoryStorage,
} from 'botbuilder';
import restify from 'restify';

const settings = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' };
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings)));
const conversationState = new ConversationState(new MemoryStorage());
const turns = conversationState.createProperty<number>('turns');

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      const n = (await turns.get(context, 0)) + 1;
      await turns.set(context, n);
      await context.sendActivity(`Echo ${n}: ${context.activity.text ?? ''}`);
      await next();
    });
  }

  override async run(context: Parameters<ActivityHandler['run']>[0]): Promise<void> {
    await super.run(context);
    await conversationState.saveChanges(context);
  }
}
const bot = new EchoBot();

const server = restify.createServer({ name: 'bench-echo' });
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
  res.json({ status: 'ready' });
});
server.listen(Number(process.env.PORT ?? 3979), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
