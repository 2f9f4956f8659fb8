import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { PanelAsset } from '@logstream/panel';
import { Public } from '../auth/auth.decorator';

export const PANEL_ASSETS = Symbol('PANEL_ASSETS');

/** The panel's stylesheet and scripts (its own, htmx, uPlot), from memory, for anyone. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('panel/assets')
export class PanelAssetsController {
  constructor(@Inject(PANEL_ASSETS) private readonly assets: ReadonlyMap<string, PanelAsset>) {}

  @Get(':name')
  asset(@Param('name') name: string, @Req() req: Request, @Res() res: Response): void {
    const asset = this.assets.get(name);
    if (asset === undefined)
      throw new NotFoundException(`no such panel asset: ${name.slice(0, 100)}`);
    res.setHeader('ETag', asset.etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (req.get('if-none-match') === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).type(asset.contentType).send(asset.body);
  }
}
