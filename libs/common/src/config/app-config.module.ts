import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { allConfig } from './configuration';
import { validateEnv } from './env.schema';

/** One config system for every app: typed namespaces, validated at startup. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: false,
      ignoreEnvFile: false,
      envFilePath: ['.env'],
      load: allConfig,
      validate: (raw) => ({ ...raw, ...validateEnv(raw) }),
    }),
  ],
})
export class AppConfigModule {}
