import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { allConfig } from './configuration';

/**
 * One config system for every app: typed namespaces (inject them with `@Inject(cacheConfig.KEY)` as
 * `CacheConfig`). Each namespace validates the whole environment when the app is created, so a bad
 * value stops startup naming the variable. Nothing happens on import: the ConfigModule is registered
 * only when an app (PlatformModule.forApp) or a test asks for it, and no default is written into
 * process.env (only a `.env` file's values are, as dotenv would).
 */
@Module({})
export class AppConfigModule {
  static forRoot(): Promise<DynamicModule> {
    return ConfigModule.forRoot({
      isGlobal: true,
      cache: false,
      envFilePath: ['.env'],
      load: allConfig,
    });
  }
}
